eval -f csv base.rubric in/csv-duplicate-header.csv
