{#- The Vietnamese name of a source family (dossiers, surveys, budget, staff), for the
    finding messages of the quality views (models/quality). -#}
{% macro source_family_vi(column) -%}
    case {{ column }}
        when 'dossiers' then 'hồ sơ TTHC'
        when 'surveys' then 'khảo sát'
        when 'budget' then 'giải ngân'
        when 'staff' then 'biên chế'
        when 'self_assessment' then 'tự đánh giá Chỉ số CCHC'
        when 'published_index_results' then 'kết quả Chỉ số CCHC, SIPAS đã công bố'
        when 'procedure_catalogue' then 'danh mục thủ tục hành chính'
        when 'portal_766_scores' then 'điểm Chỉ số 766 do Cổng DVCQG công bố'
        when 'narrative_reports' then 'báo cáo CCHC (văn bản)'
        when 'dossier_status_history' then 'lịch sử trạng thái hồ sơ'
        else {{ column }}
    end
{%- endmacro %}
