"""Normalisation in daily use: the review queue, organisation synonyms and crosswalks.

``queue`` keeps the texts a person should look at ("Te beoordelen") and records decisions;
``synonyms`` stores a decision as the organisation's synonym and writes it into its records;
``synonym_files`` exports and imports the synonym list as CSV; ``crosswalks`` maps national
codes (CompetentNL, UWV beroepscodes) to ESCO; ``records`` reads and changes the stored items.
"""
