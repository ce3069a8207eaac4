create schema publication.marts
