select
    id as order_id,
    customer_id,
    ordered_at::timestamp_ntz as ordered_at,
    date_trunc('day', ordered_at)::date as order_date,
    lower(status) as status,
    amount
from {{ source('raw', 'raw_orders') }}
