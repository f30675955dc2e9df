report ../xlsx/kinds.rubric ../xlsx/kinds.xlsx --sheet
