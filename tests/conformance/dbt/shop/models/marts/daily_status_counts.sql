{{ config(materialized='incremental', incremental_strategy='insert_overwrite') }}
select order_date, status, count(*) as orders
from {{ ref('stg_orders') }}
group by all
