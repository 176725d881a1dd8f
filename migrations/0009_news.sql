CREATE TABLE `news_article_tags` (
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`article_id` text NOT NULL,
	PRIMARY KEY(`kind`, `value`, `article_id`)
);
--> statement-breakpoint
CREATE INDEX `news_article_tags_article_idx` ON `news_article_tags` (`article_id`);--> statement-breakpoint
CREATE TABLE `news_articles` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`url` text NOT NULL,
	`source` text NOT NULL,
	`published_at` integer NOT NULL,
	`topics` text NOT NULL,
	`symbols` text NOT NULL,
	`hidden` integer DEFAULT 0 NOT NULL,
	`ingested_at` integer NOT NULL,
	`likes` integer DEFAULT 0 NOT NULL,
	`saves` integer DEFAULT 0 NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`clickers` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `news_articles_url_unique` ON `news_articles` (`url`);--> statement-breakpoint
CREATE INDEX `news_articles_published_idx` ON `news_articles` (`published_at`,`id`);--> statement-breakpoint
CREATE TABLE `news_clicks` (
	`user_id` text NOT NULL,
	`article_id` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `article_id`)
);
--> statement-breakpoint
CREATE INDEX `news_clicks_article_idx` ON `news_clicks` (`article_id`);--> statement-breakpoint
CREATE TABLE `news_follows` (
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `kind`, `value`)
);
--> statement-breakpoint
CREATE TABLE `news_reactions` (
	`user_id` text NOT NULL,
	`article_id` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `kind`, `article_id`)
);
--> statement-breakpoint
CREATE INDEX `news_reactions_article_idx` ON `news_reactions` (`article_id`,`kind`);--> statement-breakpoint
CREATE INDEX `news_reactions_saved_idx` ON `news_reactions` (`user_id`,`kind`,`created_at`);