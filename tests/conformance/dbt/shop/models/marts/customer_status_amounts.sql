{{ config(
    materialized='incremental',
    unique_key=['customer_id', 'status'],
    merge_update_columns=['total_amount'],
    on_schema_change='sync_all_columns',
) }}
select customer_id, status, sum(amount) as total_amount, max(ordered_at) as last_ordered_at
from {{ ref('stg_orders') }}
group by all
