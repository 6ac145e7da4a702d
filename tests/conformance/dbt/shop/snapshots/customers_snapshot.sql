{% snapshot customers_snapshot %}
{{ config(target_schema=target.schema, unique_key='id', strategy='check', check_cols=['first_name', 'is_active'], hard_deletes='invalidate') }}
select * from {{ source('raw', 'raw_customers') }}
{% endsnapshot %}
