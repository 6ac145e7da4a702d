{{ config(materialized='incremental', unique_key='order_id', incremental_strategy='delete+insert') }}
select order_id, status, amount from {{ ref('stg_orders') }}
{% if is_incremental() %}
where order_id >= (select max(order_id) from {{ this }})
{% endif %}
