CREATE TABLE `vote_ballots` (
	`board_id` text NOT NULL,
	`target_id` text NOT NULL,
	`participant_id` text NOT NULL,
	`dots` integer NOT NULL,
	PRIMARY KEY(`board_id`, `target_id`, `participant_id`),
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `vote_rounds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`board_id` text NOT NULL,
	`number` integer NOT NULL,
	`origin` text NOT NULL,
	`blind` integer NOT NULL,
	`budget` integer NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`voters` integer NOT NULL,
	`results` text NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `vote_rounds_board` ON `vote_rounds` (`board_id`,`number`);