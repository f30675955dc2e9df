eval -f csv base.rubric in/csv-binary.csv
