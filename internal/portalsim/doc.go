// Package portalsim is a simulated 皖事通办 portal: a replica of the paths and page shapes that
// are publicly known, good enough that a prober written for the real portal works on it with only
// the base URL changed, and a switchboard of defects that makes each probe rule fire on purpose.
//
// Paths (H5 pages of the 皖事通 app: the same paths under /h5/):
//
//	POST /bog-bsdt/implement/queryImplements.do                      item list (JSON data.rows, data.total)
//	GET  /bog-bsdt/static/workProcess.html?subjecttype=P|C           item entry list
//	GET  /bog-bsdt/static/workProcess/components/applicationMaterial.html?ssqdId=…&ssqdCode=…   guide
//	GET  /bog-bsdt/guide/detail.do?ssqdCode=…                        the guide as JSON, for the xhr template
//	GET  /bog-bsdt/static/workProcess/onlineApply.html?ssqdCode=…    在线办理 (sign-in, then the form)
//	     /bog-bsdt/apply/upload|confirm|receipt?applyId=…            上传材料, 确认提交, 受理回执
//	GET  /bog-bsdt/download/material?ssqdCode=…&channel=…&idx=…&kind=blank|sample   空表 / 样表
//	     /uccp-server/login?service=…&appCode=…                      the SSO
//	GET  /catalogue/ssqd.json, /catalogue/ssqd.csv                    the authoritative 实施清单 (items; `portalsim catalogue` also writes the materials and XLSX)
//	GET  /_sim/defects.json, GET /_sim/defects, POST /_sim/defects/{code}/{channel}/{defect}/on|off
//
// With Config.Templates, each item's guide is rendered in one of several page templates
// (Templates), chosen by its code, with values written in that channel's style (full-width digits, 五个工作日,
// 非必要…); defects change the values before rendering, so they show the same in every template.
//
// Ground truth conventions, which a correct prober follows:
//   - A defect that changes a compared guide element (ComparedElements) raises
//     GUIDE-CATALOGUE-MISMATCH on its channel, and GUIDE-CHANNEL-DIFF on the channel whose value
//     departs from the catalogue unless the other channel shows the same value.
//   - The upload slots of the form follow the channel's guide; only the form defects
//     (material-slot-missing, material-requirement-diff) make them disagree.
//   - Fixed overlays (chat widget, pop-up) are reported as LAYOUT-OBSCURED or LAYOUT-POPUP, not as
//     LAYOUT-OVERLAP, which concerns elements in the page's flow.
//   - An item offered on PC but not in the app shows a notice on H5 ("暂未在皖事通APP上线"): that is
//     CHANNEL-PARITY, not an error page.
package portalsim
