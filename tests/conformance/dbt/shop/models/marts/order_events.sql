{{ config(materialized='incremental', incremental_strategy='append') }}
select order_id, status, current_timestamp() as seen_at from {{ ref('stg_orders') }}
