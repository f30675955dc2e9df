eval -f csv base.rubric in/csv-thousands-separator.csv
