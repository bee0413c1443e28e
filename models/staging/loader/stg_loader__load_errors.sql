with

source as (

    select * from {{ source('loader', 'load_errors') }}

),

renamed as (

    select
        ---------- ids
        {{ surrogate_key(['source_table', 'source_file', 'source_row']) }} as source_record_key,

        ---------- strings
        source_table,
        source_file,
        error_type,
        error_message,
        raw_line,

        ---------- numerics
        source_row,

        ---------- timestamps
        _loaded_at as loaded_at

    from source

)

select * from renamed
