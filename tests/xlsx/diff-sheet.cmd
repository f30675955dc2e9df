diff --sheet 第二页 kinds.rubric kinds.rubric kinds.xlsx
