CREATE TABLE `replay_exclusions` (
	`job_id` text NOT NULL,
	`dead_letter_id` text NOT NULL,
	`event_id` text NOT NULL,
	PRIMARY KEY(`job_id`, `dead_letter_id`)
);
--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `corrected_body` text;