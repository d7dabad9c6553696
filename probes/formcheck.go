package probes

import (
	"context"
	"fmt"
	"strings"

	"tiyan/internal/browser"
)

// FormSlot is one material upload slot of an online form.
type FormSlot struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
}

// readForm reads the application form the entrance led to: a 全程网办 form that asks for a visit
// is GUIDE-ONLINE-CLAIM; then it reads the upload slots, going on to a later step only by the
// controls the site profile names as safe, and compares the slots with the guide. It never
// sends the form; the browser refuses whatever a page would send all the same.
func readForm(ctx context.Context, p *Page, fully bool) ([]Observation, error) {
	var obs []Observation
	text, err := pageText(p.Tab)
	if err != nil {
		return nil, err
	}
	if fully && offlinePhrases.MatchString(text) {
		obs = append(obs, onlineClaim(fmt.Sprintf("在线申报页面提示“%s”，仍需到现场办理。", excerpt(text, offlinePhrases)), nil))
	}
	if p.Site.Form.Slots == "" {
		return obs, nil
	}
	slots, err := formSlots(ctx, p)
	if err != nil || slots == nil {
		return obs, err
	}
	return append(obs, materialMismatch(p.Guide.Materials, slots)...), nil
}

// maxSafeSteps bounds how many steps of a multi-step form the probe goes through to find the
// upload slots.
const maxSafeSteps = 3

// formSlots reads the upload slots of the form. Where they are on a later step, it fills the
// fields with the synthetic applicant (in the page only) and presses a control the site profile
// lists in form.safe_next, step after step; it stops, with no slots, when there is no such
// control, or when pressing one made the page send something (the read-only browser refused it:
// the control was not safe after all, and the form is left there).
func formSlots(ctx context.Context, p *Page) ([]FormSlot, error) {
	f := p.Site.Form
	arg := map[string]string{"slots": f.Slots, "name": f.Name, "required": f.Required}
	safe := make([]jsLocator, len(f.SafeNext))
	for i, t := range f.SafeNext {
		safe[i] = targetJS(t)
	}
	person := map[string]string{"name": p.Applicant.Name, "idcard": p.Applicant.IDCard, "phone": p.Applicant.Phone}
	for step := 0; ; step++ {
		var slots []FormSlot
		if err := formOp(ctx, p, "slots", arg, &slots, false); err != nil || len(slots) > 0 {
			return slots, err
		}
		if step == maxSafeSteps || len(safe) == 0 {
			return nil, nil // the form did not get to its uploads: nothing to compare, no finding
		}
		var filled struct{ OK bool }
		if err := formOp(ctx, p, "fill", person, &filled, false); err != nil {
			return nil, err
		}
		refused := len(browser.Refusals(p.Tab))
		var next struct{ OK bool }
		if err := formOp(ctx, p, "next", map[string]any{"safe": safe}, &next, true); err != nil || !next.OK {
			return nil, err
		}
		if len(browser.Refusals(p.Tab)) > refused {
			return nil, nil // the "safe" control sent the form: refused, and the probe stops here
		}
	}
}

// materialMismatch compares the guide's materials with the form's upload slots.
func materialMismatch(ms []GuideMaterial, slots []FormSlot) []Observation {
	var diff []string
	bySlot := map[string]FormSlot{}
	for _, s := range slots {
		bySlot[normalize("", s.Name)] = s
	}
	named := map[string]bool{}
	for _, m := range ms {
		k := normalize("", m.Name)
		named[k] = true
		s, ok := bySlot[k]
		switch {
		case !ok && m.Requirement == "必要":
			diff = append(diff, fmt.Sprintf("必要材料“%s”在申报页没有上传位置", m.Name))
		case ok && m.Requirement == "必要" && !s.Required:
			diff = append(diff, fmt.Sprintf("“%s”在指南中为必要材料，申报页却标为非必填", m.Name))
		case ok && m.Requirement != "" && m.Requirement != "必要" && s.Required:
			diff = append(diff, fmt.Sprintf("“%s”在指南中为%s材料，申报页却标为必填", m.Name, m.Requirement))
		}
	}
	for _, s := range slots {
		if !named[normalize("", s.Name)] {
			diff = append(diff, fmt.Sprintf("申报页要求上传指南未列的“%s”", s.Name))
		}
	}
	if len(diff) == 0 {
		return nil
	}
	return []Observation{{Rule: "GUIDE-MATERIAL-MISMATCH", Locator: "form:materials",
		Title:    "办事指南的申请材料与申报页上传要求不一致",
		Detail:   "办事指南与在线申报页的材料要求不一致：" + strings.Join(diff, "；") + "。群众按指南准备材料后无法顺利申报，两者应一致。",
		Measured: map[string]any{"differences": diff, "slots": slots}}}
}
