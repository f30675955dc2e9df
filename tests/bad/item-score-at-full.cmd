eval -f csv in/item-max.rubric in/item-max.csv
