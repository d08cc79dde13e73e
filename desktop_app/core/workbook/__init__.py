"""The force workbook: its schema, file checks, cell reading, validation, travel times, the template and the generated format doc."""
