call checkpoint('publication')
