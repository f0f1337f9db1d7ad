-- Word keeps each list item as a paragraph of its own, which Pandoc reads as a loose list; the same
-- list written in Markdown is tight. Items of one paragraph become plain, so both give the same HTML.
local function tighten(list)
  for i, item in ipairs(list.content) do
    if #item == 1 and item[1].t == "Para" then
      list.content[i] = {pandoc.Plain(item[1].content)}
    end
  end
  return list
end

BulletList = tighten
OrderedList = tighten
