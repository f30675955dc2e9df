diff plurals/单数.rubric plurals/单数改.rubric plurals/一人.csv
