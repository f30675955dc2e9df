eval -f csv base.rubric in/csv-number-minus-zero.csv
