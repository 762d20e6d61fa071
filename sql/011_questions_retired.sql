-- 011_questions_retired.sql — a question removed from its set's file stays,
-- retired: requests that asked it keep its labels and type, and new drafts
-- no longer offer it.  Deploying a file that has it again brings it back.
ALTER TABLE questions ADD COLUMN retired boolean NOT NULL DEFAULT false;
