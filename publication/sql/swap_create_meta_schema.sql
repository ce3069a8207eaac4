create schema publication.meta
