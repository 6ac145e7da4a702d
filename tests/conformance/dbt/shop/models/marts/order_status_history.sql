{{ config(materialized='incremental', unique_key='order_id', on_schema_change='append_new_columns') }}
select order_id, status{% if var('with_amount', false) %}, amount{% endif %}
from {{ ref('stg_orders') }}
