// Figures as large as the slide allows: up to the style sheet's maximum, less whatever the rest of
// the slide (every fragment included) needs, so that nothing runs past the bottom of the slide.
// Shared by the static decks (course_slides) and the Voila deck (course_reveal).
// slide: the current slide's <section>; height: the slide's height in layout pixels; selector: the
// pictures to fit. The frames of a scrubber (all of one size) count as one figure.
function courseFitFigures(slide, height, selector) {
  if (!slide) { return; }
  var groups = [];
  slide.querySelectorAll(selector).forEach(function (img) {
    img.style.maxHeight = "";
    var box = img.closest(".course-scrubber") || img;
    var group = groups.find(function (g) { return g.box === box; });
    if (!group) { group = {box: box, imgs: []}; groups.push(group); }
    group.imgs.push(img);
  });
  var overflow = slide.offsetTop + slide.scrollHeight - height;
  if (overflow <= 0 || !groups.length) { return; }
  var each = Math.ceil(overflow / groups.length);
  groups.forEach(function (g) {
    var shown = g.imgs.find(function (img) { return img.offsetParent !== null; });
    if (!shown) { return; }
    var most = Math.max(shown.offsetHeight - each, 120) + "px";
    g.imgs.forEach(function (img) { img.style.maxHeight = most; });
  });
}
