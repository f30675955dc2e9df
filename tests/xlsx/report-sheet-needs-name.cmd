report kinds.rubric kinds.xlsx --sheet
