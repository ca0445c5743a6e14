create or replace table compliance_facility as
select period, region, facility, * exclude (level, period, region, facility)
from compliance_rollup
where level = 'facility'
