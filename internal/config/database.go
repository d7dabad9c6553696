package config

import (
	"fmt"
	"os"
)

// DefaultDatabase is the database of a command told of none: the embedded SQLite file.
const DefaultDatabase = "sqlite:./data/tiyan.db"

// Where a database URL came from, as Database reports it (and Config.DatabaseFrom for the last
// three).
const (
	FromFlag    = "flag"
	FromEnv     = "env"
	FromFile    = "file"
	FromDefault = "default"
)

// Database resolves the database every command works on, by one rule: the --database flag
// (flag, "" when not given), else TIYAN_DATABASE_URL, else `database:` in the configuration file
// (file: --config, or DefaultFile, which may be missing), else "" — the embedded default,
// DefaultDatabase. from says which of FromFlag, FromEnv, FromFile or FromDefault it was.
//
// The file is read only when neither the flag nor the variable names a database, and then it
// must be valid as a whole: a command that went on with the default after a broken file would
// silently work on another database than the one the file names.
func Database(flag, file string, env func(string) (string, bool)) (url, from string, err error) {
	if flag != "" {
		return flag, FromFlag, nil
	}
	if env == nil {
		env = os.LookupEnv
	}
	if v, ok := env(EnvDatabaseURL); ok && v != "" {
		return v, FromEnv, nil
	}
	cfg, err := Load(file, env)
	if err != nil {
		return "", "", fmt.Errorf("配置文件 %s 有误，无法确定数据库（tiyan config check --config %s 查看，或用 --database 指定）：%w", file, file, err)
	}
	return cfg.DatabaseURL(""), cfg.DatabaseFrom, nil
}

// DatabaseURL is the database of a command that has read c: flag (--database) when given, else
// c.Database, where TIYAN_DATABASE_URL already won over the file. "" is DefaultDatabase.
func (c *Config) DatabaseURL(flag string) string {
	if flag != "" {
		return flag
	}
	return c.Database
}
