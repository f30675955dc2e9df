eval -f csv base.rubric in/csv-bare-cr.csv
