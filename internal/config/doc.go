// Package config reads tiyan.yaml: the database, the site swept, how many pages are probed at
// once, the schedules of the nightly sweep and the overdue scan, the time zone they are read in,
// the web address and the Slack channel for each purpose.
//
// The file is read strictly: an unknown key, a value of the wrong kind or a cron expression that
// does not parse is an error naming its line and column, and every problem of a file is reported
// at once. A missing file means the defaults. Secrets never come from the file: the database URL
// in TIYAN_DATABASE_URL wins over the file's, and the Slack token, default channel and API URL
// come only from TIYAN_SLACK_TOKEN, TIYAN_SLACK_CHANNEL and TIYAN_SLACK_API_URL.
//
//	cfg, err := config.Load("tiyan.yaml", os.LookupEnv)
//	var cerr *config.Error
//	if errors.As(err, &cerr) {
//		for _, p := range cerr.Problems {
//			fmt.Println(p) // tiyan.yaml:7:10: schedules.sweep：……
//		}
//	}
package config
