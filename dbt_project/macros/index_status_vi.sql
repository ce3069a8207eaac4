{#- The Vietnamese name of a PAR INDEX stage (mart_index_status, mart_index_rankings). -#}
{% macro index_status_vi(column) -%}
    case {{ column }}
        when 'self_assessed' then 'Tự đánh giá'
        when 'appraised' then 'Thẩm định'
        when 'final' then 'Chính thức'
    end
{%- endmacro %}
