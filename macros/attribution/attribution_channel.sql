{#
    Marketing channel of a touch from its (lower-cased) source and medium: paid_search,
    paid_social, display, affiliate, email, push, organic_search, organic_social, referral,
    else other. Untagged visits from another site carry medium `referral` and the referring
    host as source; the host tells organic search and organic social apart from referrals.
    Portable SQL (lower, in, like); add mediums or hosts to the lists here.
#}
{% macro attribution_channel(source, medium) -%}
    {%- set mediums = {
        'paid_search': ['cpc', 'ppc', 'paid_search', 'paidsearch', 'sem'],
        'paid_social': ['paid_social', 'paidsocial', 'social_paid', 'social-paid'],
        'display': ['display', 'banner', 'cpm'],
        'affiliate': ['affiliate', 'affiliates'],
        'email': ['email', 'e-mail', 'newsletter'],
        'push': ['push', 'push_notification'],
    } -%}
    {#- LIKE patterns over the referring host (without `www.`). -#}
    {%- set search_hosts = ['google.%', '%.google.%', 'bing.com', '%.bing.com', 'duckduckgo.com',
                            'yahoo.com', '%.yahoo.com', 'ecosia.org', 'baidu.com', 'yandex.%'] -%}
    {%- set social_hosts = ['t.co', 'x.com', 'twitter.com', 'facebook.com', '%.facebook.com',
                            'instagram.com', '%.instagram.com', 'linkedin.com', '%.linkedin.com',
                            'lnkd.in', 'reddit.com', '%.reddit.com', 'youtube.com',
                            '%.youtube.com', 'tiktok.com', 'pinterest.com'] -%}
    case
        {%- for channel, channel_mediums in mediums.items() %}
        when lower({{ medium }}) in ('{{ channel_mediums | join("', '") }}') then '{{ channel }}'
        {%- endfor %}
        when lower({{ medium }}) = 'organic' then 'organic_search'
        when lower({{ medium }}) = 'social' then 'organic_social'
        when lower({{ medium }}) = 'referral' and (
            {%- for host in search_hosts %}
            lower({{ source }}) like '{{ host }}'{% if not loop.last %} or{% endif %}
            {%- endfor %}
        ) then 'organic_search'
        when lower({{ medium }}) = 'referral' and (
            {%- for host in social_hosts %}
            lower({{ source }}) like '{{ host }}'{% if not loop.last %} or{% endif %}
            {%- endfor %}
        ) then 'organic_social'
        when lower({{ medium }}) = 'referral' then 'referral'
        else 'other'
    end
{%- endmacro %}
