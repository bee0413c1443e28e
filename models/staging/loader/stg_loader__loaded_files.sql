with

source as (

    select * from {{ source('loader', 'loaded_files') }}

),

renamed as (

    select
        ---------- ids
        {{ surrogate_key(['source_table', 'source_file', '_loaded_at']) }} as file_load_id,

        ---------- strings
        source_table,
        source_file,

        ---------- numerics
        size_bytes,
        rows_loaded,
        bad_lines,

        ---------- timestamps
        modified_at,
        _loaded_at as loaded_at

    from source

)

select * from renamed
