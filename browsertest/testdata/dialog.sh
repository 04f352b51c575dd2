#!/bin/sh
# The agent's dialog in the browser tests (exec: UI): it keeps the
# question for the test and answers as the file "answer" says: "ok" is a
# willing citizen (the PIN when asked for it, consent otherwise), "hold"
# one who looks at the dialog without answering, "cancel" one who refuses.
dir=$1
cat > "$dir/question.json"
case "$(cat "$dir/answer")" in
ok)
	if grep -q '"kind":"pin"' "$dir/question.json"; then
		echo '{"pin": "1234"}'
	else
		echo '{"allow": true}'
	fi
	;;
hold) exec sleep 120 ;;
*) echo '{"cancel": true}' ;;
esac
