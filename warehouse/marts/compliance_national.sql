create or replace table compliance_national as
select period, * exclude (level, period, region, facility)
from compliance_rollup
where level = 'national'
