explain kinds.rubric kinds.xlsx --id 00125
