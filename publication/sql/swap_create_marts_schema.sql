create schema if not exists publication.marts
