eval -f csv in/div0.rubric in/div0.csv
