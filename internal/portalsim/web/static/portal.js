// 长辈版: larger text for elders, remembered in a cookie.
(function () {
  var root = document.documentElement;
  if (document.cookie.indexOf('elder=1') >= 0) root.classList.add('elder');
  document.addEventListener('click', function (e) {
    var t = e.target.closest && e.target.closest('.elder-toggle');
    if (!t) return;
    var on = root.classList.toggle('elder');
    document.cookie = 'elder=' + (on ? '1' : '0') + '; path=/';
    t.setAttribute('aria-pressed', on ? 'true' : 'false');
  });
  // 获取验证码 on the sign-in page.
  var sms = document.getElementById('send-sms');
  if (sms) sms.addEventListener('click', function () {
    document.getElementById('sms-status').textContent = '验证码已发送（测试环境验证码固定为 123456）';
  });
})();
