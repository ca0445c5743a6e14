create or replace table compliance_region as
select period, region, * exclude (level, period, region, facility)
from compliance_rollup
where level = 'region'
