select
    c.customer_id,
    c.full_name,
    count(o.order_id) as completed_orders,
    coalesce(sum(o.amount), 0) as completed_amount,
    min(o.order_date) as first_order_date,
    datediff('day', any_value(c.signed_up_on), min(o.order_date)) as days_to_first_order
from {{ ref('stg_customers') }} c
left join {{ ref('completed_orders') }} o on o.customer_id = c.customer_id
group by all
