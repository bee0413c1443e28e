{#
    The device class of a web visit from its user agent: `tablet_web`, `mobile_web` or
    `desktop_web` (tablets first: iPad and Android tablets also say "Mobile" in some agents).
#}
{% macro web_device_type(user_agent) -%}
    case
        when {{ user_agent }} is null then null
        when lower({{ user_agent }}) like '%ipad%' or lower({{ user_agent }}) like '%tablet%'
            then 'tablet_web'
        when lower({{ user_agent }}) like '%mobile%' or lower({{ user_agent }}) like '%iphone%'
            or lower({{ user_agent }}) like '%android%'
            then 'mobile_web'
        else 'desktop_web'
    end
{%- endmacro %}
