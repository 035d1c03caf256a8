DROP INDEX `challenges_number_unique`;--> statement-breakpoint
ALTER TABLE `challenges` ADD `workshop_id` text REFERENCES workshops(id);--> statement-breakpoint
CREATE UNIQUE INDEX `challenges_seed_number` ON `challenges` (`number`) WHERE "challenges"."workshop_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX `challenges_workshop_number` ON `challenges` (`workshop_id`,`number`);