eval -f csv in/rubric-minus-zero.rubric in/minus-zero-total.csv
