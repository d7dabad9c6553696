package sweep

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// WriteScreenshots writes each finding's screenshot to DIR/screenshots/FINGERPRINT.png and sets
// Evidence.Screenshot to the file.
func WriteScreenshots(dir string, fs []Finding) error {
	shots := filepath.Join(dir, "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		return fmt.Errorf("无法创建证据目录 %s：%w", dir, err)
	}
	for i := range fs {
		f := &fs[i]
		if len(f.Evidence.PNG) == 0 {
			continue
		}
		path := filepath.Join(shots, f.Fingerprint+".png")
		if err := os.WriteFile(path, f.Evidence.PNG, 0o644); err != nil {
			return fmt.Errorf("保存截图失败：%w", err)
		}
		f.Evidence.Screenshot = path
	}
	return nil
}

// WriteFindings writes the findings, without screenshot data, to DIR/findings.json.
func WriteFindings(dir string, fs []Finding) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("无法创建证据目录 %s：%w", dir, err)
	}
	data, err := json.MarshalIndent(fs, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "findings.json"), data, 0o644)
}
