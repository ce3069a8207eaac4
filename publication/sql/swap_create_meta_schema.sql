create schema if not exists publication.meta
