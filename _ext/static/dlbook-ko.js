// Korean pages: the copy button of code cells (sphinx-copybutton) in Korean. copybutton.js picks
// its words from its `messages` by <html lang>, which has no Korean; add it before the buttons
// are made (they are made once the page has loaded).
if (typeof messages === "object" && typeof locale === "string") {
  messages.ko = {
    copy: "복사",
    copy_to_clipboard: "클립보드에 복사",
    copy_success: "복사했습니다!",
    copy_failure: "복사하지 못했습니다",
  };
  locale = "ko";
}
