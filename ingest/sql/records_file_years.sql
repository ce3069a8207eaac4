-- the years of one record export's dossiers and the last day received in each
select
    year(received_at) as received_year,
    max(received_at)::date as last_received
from raw.dossier_records
where file_id = $file_id and received_at is not null
group by 1
order by 1
