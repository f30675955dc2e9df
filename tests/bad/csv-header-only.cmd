eval -f csv base.rubric in/csv-header-only.csv
