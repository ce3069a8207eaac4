"""Rubrics as data (docs/rubrics.md): the tree a PAR INDEX is scored on, read from the file
a Department publishes or loads, and checked (sums exact, every computed criterion with an
indicator and a rule). ``rubrics/shipped/`` holds the rubrics the project ships."""
