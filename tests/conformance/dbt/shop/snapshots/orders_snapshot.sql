{% snapshot orders_snapshot %}
{{ config(target_schema=target.schema, unique_key='id', strategy='timestamp', updated_at='ordered_at') }}
select * from {{ source('raw', 'raw_orders') }}
{% endsnapshot %}
