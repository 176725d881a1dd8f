CREATE TABLE `gold_cashback` (
	`user_id` text NOT NULL,
	`month` text NOT NULL,
	`rule_id` text NOT NULL,
	`currency` text NOT NULL,
	`account_id` text NOT NULL,
	`purchases` integer NOT NULL,
	`earned` integer NOT NULL,
	`reversed` integer NOT NULL,
	`net` integer NOT NULL,
	PRIMARY KEY(`user_id`, `month`, `rule_id`, `currency`)
);
--> statement-breakpoint
CREATE INDEX `gold_cashback_month_idx` ON `gold_cashback` (`month`);